/* evshim: event2/visibility.h — libevent marks exported symbols with EVENT2_EXPORT_SYMBOL. */
#ifndef EVENT2_VISIBILITY_H_INCLUDED_
#define EVENT2_VISIBILITY_H_INCLUDED_
#if defined(__GNUC__)
#define EVENT2_EXPORT_SYMBOL __attribute__((visibility("default")))
#else
#define EVENT2_EXPORT_SYMBOL
#endif
#endif
