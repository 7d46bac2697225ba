# conf/: the example configuration.

EXTRA_DIST += %D%/ferry.conf
