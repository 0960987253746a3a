/* Every character's loose box of a PDFium text page, in one call from Python.
 *
 * pdf_lines.chars needs the box of every character. Asked from Python, that is one
 * ctypes call per character, ~0.4 us each: on a page of a thousand characters more
 * than PDFium's whole text extraction. PDFium's own FPDFText_GetLooseCharBox costs
 * about a hundredth of that, so the loop is here, in C.
 *
 * The function is not linked against PDFium: Python passes the address of the
 * FPDFText_GetLooseCharBox that pypdfium2 loaded, so this module follows whichever
 * PDFium build pypdfium2 ships and needs no PDFium headers. The results are PDFium's,
 * byte for byte the ones the ctypes loop gets (tests/test_pdf_lines.py compares them).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    float left, top, right, bottom; /* FS_RECTF */
} rectf;

typedef int (*loose_char_box)(void *textpage, int index, rectf *rect);

static PyObject *loose_boxes(PyObject *self, PyObject *args) {
    unsigned long long fn, textpage;
    int count;
    Py_buffer out;
    if (!PyArg_ParseTuple(args, "KKiw*", &fn, &textpage, &count, &out))
        return NULL;
    if (!fn || !textpage || count < 0 || out.len < (Py_ssize_t)count * (Py_ssize_t)sizeof(rectf)) {
        PyBuffer_Release(&out);
        PyErr_SetString(PyExc_ValueError, "loose_boxes: null address, or buffer smaller than count boxes");
        return NULL;
    }
    loose_char_box box = (loose_char_box)(uintptr_t)fn;
    rectf *rects = (rectf *)out.buf;
    for (int i = 0; i < count; i++)
        box((void *)(uintptr_t)textpage, i, rects + i); /* a failed call leaves the box as it was: zeros */
    PyBuffer_Release(&out);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"loose_boxes", loose_boxes, METH_VARARGS,
     "loose_boxes(fn, textpage, count, out): FPDFText_GetLooseCharBox at address fn for characters "
     "0..count-1 of textpage, into the writable buffer out (count FS_RECTF, 16 bytes each)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_charboxes", NULL, -1, methods};

PyMODINIT_FUNC PyInit__charboxes(void) { return PyModule_Create(&module); }
