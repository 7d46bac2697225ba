# systemd/: the service unit, with the installation's paths.

systemdsystemunit_DATA = %D%/ferryd.service
EXTRA_DIST += %D%/ferryd.service.in
CLEANFILES += %D%/ferryd.service

%D%/ferryd.service: %D%/ferryd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	    $(srcdir)/%D%/ferryd.service.in >$@.tmp && mv $@.tmp $@
