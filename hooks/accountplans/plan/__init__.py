"""Reading a plan and its rules: fields, model, YAML reader, body, rule table, the published
HTML's check, print size, and check/sitecheck (one path for `accountplans check` and the build)."""
