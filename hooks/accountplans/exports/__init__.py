"""The downloads (plans.json and its schema, plans.csv, calendars) and the publish check."""
