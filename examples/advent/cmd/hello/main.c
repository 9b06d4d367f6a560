/*
 * hello: the same tiny HTTP service, linked dynamically so that caulk must copy its
 * interpreter and shared libraries into the image.
 */
#include "../../lib/service.h"

int main(void) { return serve("hello"); }
