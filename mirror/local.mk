# mirror/: libferry (every floor below the command line) and ferry(1).

noinst_LIBRARIES += %D%/libferry.a
%C%_libferry_a_CFLAGS = $(AM_CFLAGS) $(LIBGIT2_CFLAGS) $(LIBCURL_CFLAGS) \
	$(GUMBO_CFLAGS) $(SODIUM_CFLAGS) $(ZLIB_CFLAGS) $(POPPLER_CFLAGS) \
	$(LIBCRYPTO_CFLAGS)
%C%_libferry_a_SOURCES = \
	%D%/ascii.h \
	%D%/buf.c %D%/buf.h \
	%D%/catalog.c %D%/catalog.h \
	%D%/charset.c %D%/charset.h \
	%D%/conf.c %D%/conf.h \
	%D%/crawl.c %D%/crawl.h \
	%D%/err.c %D%/err.h \
	%D%/export.c %D%/export.h \
	%D%/fetch.c %D%/fetch.h \
	%D%/follow.c %D%/follow.h \
	%D%/fsutil.c %D%/fsutil.h \
	%D%/gitsig.c %D%/gitsig.h \
	%D%/hash.c %D%/hash.h \
	%D%/history.c %D%/history.h \
	%D%/html.c %D%/html.h \
	%D%/index.c %D%/index.h \
	%D%/json.c %D%/json.h \
	%D%/lang.c %D%/lang.h \
	%D%/log.c %D%/log.h \
	%D%/manifest.c %D%/manifest.h \
	%D%/pathmap.c %D%/pathmap.h \
	%D%/pdf.c %D%/pdf.h \
	%D%/publish.c %D%/publish.h \
	%D%/remote.c %D%/remote.h \
	%D%/robots.c %D%/robots.h \
	%D%/sign.c %D%/sign.h \
	%D%/state.c %D%/state.h \
	%D%/store.c %D%/store.h \
	%D%/strmap.c %D%/strmap.h \
	%D%/sync.c %D%/sync.h \
	%D%/transfer.c %D%/transfer.h \
	%D%/url.c %D%/url.h \
	%D%/utc.c %D%/utc.h \
	%D%/verify.c %D%/verify.h \
	%D%/xmalloc.c %D%/xmalloc.h

FERRY_LIBS = %D%/libferry.a $(LIBGIT2_LIBS) $(LIBCURL_LIBS) $(GUMBO_LIBS) \
	$(SODIUM_LIBS) $(ZLIB_LIBS) $(POPPLER_LIBS) \
	$(LIBCRYPTO_LIBS)

bin_PROGRAMS += %D%/ferry
dist_man1_MANS = %D%/ferry.1
%C%_ferry_SOURCES = \
	%D%/cmd.h \
	%D%/cmd-check.c \
	%D%/cmd-diff.c \
	%D%/cmd-export.c \
	%D%/cmd-gc.c \
	%D%/cmd-help.c \
	%D%/cmd-index.c \
	%D%/cmd-keygen.c \
	%D%/cmd-log.c \
	%D%/cmd-publish.c \
	%D%/cmd-restore.c \
	%D%/cmd-status.c \
	%D%/cmd-sync.c \
	%D%/cmd-verify.c \
	%D%/ferry.c
%C%_ferry_LDADD = $(FERRY_LIBS)
