/*
 * LD_PRELOAD probe for pdfsig: prints what NSS's CERT_PKIXVerifyCert really returned.
 * poppler 22.12 (Debian 12) reads PORT_GetError() even when the call SUCCEEDED, and NSS
 * leaves a stale SEC_ERROR_EXTENSION_NOT_FOUND there: a trusted chain is then printed as
 * "Unknown issue with Certificate or corrupted data." (later poppler checks the return value).
 * Build: gcc -shared -fPIC -I/usr/include/nss -I/usr/include/nspr -o nss_verify_probe.so
 *        nss_verify_probe.c -lnss3 -lnspr4 -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

typedef int SECStatus;
extern int PORT_GetError(void);
extern const char *PR_ErrorToName(int code);

SECStatus CERT_PKIXVerifyCert(void *cert, long usages, void *params_in, void *params_out, void *wincx)
{
    static SECStatus (*real)(void *, long, void *, void *, void *);
    if (real == NULL)
        real = (SECStatus (*)(void *, long, void *, void *, void *))dlsym(RTLD_NEXT, "CERT_PKIXVerifyCert");
    SECStatus rv = real(cert, usages, params_in, params_out, wincx);
    int error = PORT_GetError();
    fprintf(stderr, "[nss-probe] CERT_PKIXVerifyCert=%s PORT_GetError=%s\n", rv == 0 ? "SECSuccess" : "SECFailure",
            error ? PR_ErrorToName(error) : "0");
    return rv;
}
