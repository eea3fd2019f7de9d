"""Operating model: responsibility map, exceptions, change control and drift, audit log."""
