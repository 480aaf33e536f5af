/* qrpng: see qrpng.h */
#include "qrpng.h"
#include "xalloc.h"

#include <png.h>
#include <qrencode.h>
#include <string.h>

static void png_write_buf(png_structp png, png_bytep data, png_size_t len)
{
    buf_append(png_get_io_ptr(png), data, len);
}

static void png_flush_none(png_structp png)
{
}

static int write_png(const QRcode *qr, int scale, struct buf *out)
{
    const int margin = 4;
    int size = (qr->width + 2 * margin) * scale;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = xmalloc((size_t)size);
    if (!info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return -1;
    }
    png_set_write_fn(png, out, png_write_buf, png_flush_none);
    png_set_IHDR(png, info, (png_uint_32)size, (png_uint_32)size, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < size; y++) {
        int qy = y / scale - margin;
        for (int x = 0; x < size; x++) {
            int qx = x / scale - margin;
            int dark = qx >= 0 && qy >= 0 && qx < qr->width && qy < qr->width &&
                       (qr->data[qy * qr->width + qx] & 1);
            row[x] = dark ? 0 : 255;
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    return 0;
}

int qrpng_encode(const char *text, int scale, struct buf *out)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return -1;
    int rc = write_png(qr, scale, out);
    QRcode_free(qr);
    return rc;
}
