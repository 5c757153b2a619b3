"""Email alerts without an account: a reader follows a record, a list or a search (the same
things its Atom feed follows) and receives each of its published changes by email, or a daily
digest of them. Part of the roof: it reads the feeds and the changelog of cpec_tracker.site."""
