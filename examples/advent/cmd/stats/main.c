/*
 * stats: a tiny HTTP service for the caulk example. It answers every request with what a
 * hardened image must get right: who it runs as, the local time zone's UTC offset, and whether
 * the CA bundle is readable. Built statically (see the Makefile).
 */
#include "../../lib/service.h"

int main(void) { return serve("stats"); }
