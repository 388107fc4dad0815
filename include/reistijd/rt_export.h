#ifndef RT_EXPORT_H
#define RT_EXPORT_H
/* Symbols marked RT_API are the public, installed interface of libreistijd. */
#if defined(__GNUC__)
#define RT_API __attribute__((visibility("default")))
#else
#define RT_API
#endif
#endif
