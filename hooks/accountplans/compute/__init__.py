"""What nobody types by hand: target breakdowns, the milestones' schedule, actuals against
targets, and the figures across plans. Plain data in, plain data out."""
