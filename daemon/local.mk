# daemon/: ferryd(8), the unattended daemon.

sbin_PROGRAMS = %D%/ferryd
%C%_ferryd_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
%C%_ferryd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/mirror
%C%_ferryd_SOURCES = \
	%D%/ferryd.h \
	%D%/ctl.c \
	%D%/ferryd.c \
	%D%/job.c \
	%D%/mirrors.c \
	%D%/sched.c \
	%D%/watch.c
%C%_ferryd_LDADD = $(FERRY_LIBS) $(SYSTEMD_LIBS)

dist_man8_MANS = %D%/ferryd.8
