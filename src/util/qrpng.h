/* qrpng: a real QR code (libqrencode) as a PNG image (libpng) */
#ifndef LJ_QRPNG_H
#define LJ_QRPNG_H

#include "buf.h"

/* encodes text as a QR code PNG into out (module size `scale` pixels, 4-module margin); 0 or -1 */
int qrpng_encode(const char *text, int scale, struct buf *out);

#endif
