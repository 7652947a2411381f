"""What people do (create an account, post, follow), shared by the CLI, web and client API."""
