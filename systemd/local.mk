# systemd/: the service units, with the installation's paths, and the
# udev rule that starts an export when a stick is plugged in.

systemdsystemunit_DATA = %D%/ferryd.service %D%/ferry-export@.service
udevrules_DATA = %D%/90-ferry-export.rules
EXTRA_DIST += %D%/ferryd.service.in %D%/ferry-export@.service.in \
	%D%/90-ferry-export.rules
CLEANFILES += %D%/ferryd.service %D%/ferry-export@.service

SYSTEMD_SUBST = sed -e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g'

%D%/ferryd.service: %D%/ferryd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(SYSTEMD_SUBST) $(srcdir)/%D%/ferryd.service.in >$@.tmp && \
	mv $@.tmp $@

%D%/ferry-export@.service: %D%/ferry-export@.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(SYSTEMD_SUBST) $(srcdir)/%D%/ferry-export@.service.in >$@.tmp && \
	mv $@.tmp $@
