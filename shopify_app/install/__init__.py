"""Installing the app: the OAuth flow, shop registration and uninstall, the install routes."""
