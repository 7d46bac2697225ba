# systemd/: the service unit.
