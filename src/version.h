#ifndef GX_VERSION_H
#define GX_VERSION_H
#define GX_VERSION "0.1.0"
#endif
