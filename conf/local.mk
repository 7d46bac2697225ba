# conf/: the example configuration.

EXTRA_DIST += %D%/ferry.conf

dist_man5_MANS = %D%/ferry.conf.5

# The example configuration goes to $(sysconfdir)/ferry/ferry.conf, but
# never over one that is there: that is the administrators' file.  It is
# removed on uninstall only while it is still the example, unchanged.
ferryconfdir = $(sysconfdir)/ferry

install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(ferryconfdir)'
	@if [ -e '$(DESTDIR)$(ferryconfdir)/ferry.conf' ]; then \
		echo "keeping $(DESTDIR)$(ferryconfdir)/ferry.conf"; \
	else \
		echo " $(INSTALL_DATA) $(srcdir)/conf/ferry.conf" \
		    "'$(DESTDIR)$(ferryconfdir)/ferry.conf'"; \
		$(INSTALL_DATA) $(srcdir)/conf/ferry.conf \
		    '$(DESTDIR)$(ferryconfdir)/ferry.conf'; \
	fi

uninstall-local:
	@if cmp -s $(srcdir)/conf/ferry.conf \
	    '$(DESTDIR)$(ferryconfdir)/ferry.conf'; then \
		rm -f '$(DESTDIR)$(ferryconfdir)/ferry.conf'; \
	fi
	-rmdir '$(DESTDIR)$(ferryconfdir)' 2>/dev/null
