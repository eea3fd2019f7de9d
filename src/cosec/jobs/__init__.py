"""In-process scheduled jobs (one machine). `registry.default_jobs()` lists them."""
