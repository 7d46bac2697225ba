# daemon/: ferryd(8), the unattended daemon.
