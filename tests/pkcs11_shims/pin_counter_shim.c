/*
 * A thin PKCS#11 module in front of SoftHSM2 that adds what SoftHSM2 lacks: a
 * user-PIN retry counter, like a CPS card (3 tries, then blocked).
 *
 * SoftHSM2 2.6 (Token::loginUser) only sets CKF_USER_PIN_COUNT_LOW after a wrong
 * PIN and never blocks. This shim forwards every call to the real module, and:
 *   - C_Login(CKU_USER): counts consecutive wrong PINs per slot; once MAX_TRIES
 *     are reached every later login (even with the right PIN) returns
 *     CKR_PIN_LOCKED; a right PIN before that resets the count;
 *   - C_GetTokenInfo: reports CKF_USER_PIN_COUNT_LOW / FINAL_TRY / LOCKED from
 *     that count.
 * The count lives in memory (one process), which is enough for tests.
 * Build: gcc -shared -fPIC -O2 -I/usr/include/p11-kit-1 -DTARGET='"/usr/lib/softhsm/libsofthsm2.so"'
 *        -o libpin_counter_shim.so pin_counter_shim.c -ldl
 */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <p11-kit/pkcs11.h>

#ifndef TARGET
#define TARGET "/usr/lib/softhsm/libsofthsm2.so"
#endif
#ifndef MAX_TRIES
#define MAX_TRIES 3
#endif
#define MAX_SLOTS 64

static CK_FUNCTION_LIST_PTR real;
static CK_FUNCTION_LIST shim;
static int owns_init;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct { CK_SLOT_ID slot; int failures; } counters[MAX_SLOTS];
static int n_counters;

static int *failures_of(CK_SLOT_ID slot)
{
    for (int i = 0; i < n_counters; i++)
        if (counters[i].slot == slot) return &counters[i].failures;
    if (n_counters == MAX_SLOTS) return NULL;
    counters[n_counters].slot = slot;
    counters[n_counters].failures = 0;
    return &counters[n_counters++].failures;
}

static CK_RV shim_initialize(CK_VOID_PTR args)
{
    CK_RV rv = real->C_Initialize(args);
    if (rv == CKR_CRYPTOKI_ALREADY_INITIALIZED) {  /* SoftHSM is one per process */
        owns_init = 0;
        return CKR_OK;
    }
    owns_init = (rv == CKR_OK);
    return rv;
}

static CK_RV shim_finalize(CK_VOID_PTR reserved)
{
    if (!owns_init) return CKR_OK;
    owns_init = 0;
    return real->C_Finalize(reserved);
}

static CK_RV shim_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info)
{
    CK_RV rv = real->C_GetTokenInfo(slot, info);
    if (rv != CKR_OK) return rv;
    pthread_mutex_lock(&lock);
    int *f = failures_of(slot);
    int failures = f ? *f : 0;
    pthread_mutex_unlock(&lock);
    info->flags &= ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
    if (failures >= MAX_TRIES) info->flags |= CKF_USER_PIN_LOCKED;
    else if (failures == MAX_TRIES - 1) info->flags |= CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY;
    else if (failures > 0) info->flags |= CKF_USER_PIN_COUNT_LOW;
    return CKR_OK;
}

static CK_RV shim_login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len)
{
    if (user != CKU_USER) return real->C_Login(session, user, pin, len);
    CK_SESSION_INFO info;
    CK_RV rv = real->C_GetSessionInfo(session, &info);
    if (rv != CKR_OK) return rv;
    pthread_mutex_lock(&lock);
    int *f = failures_of(info.slotID);
    if (f && *f >= MAX_TRIES) {
        pthread_mutex_unlock(&lock);
        return CKR_PIN_LOCKED;
    }
    pthread_mutex_unlock(&lock);
    rv = real->C_Login(session, user, pin, len);
    pthread_mutex_lock(&lock);
    if (f && rv == CKR_PIN_INCORRECT) (*f)++;
    else if (f && rv == CKR_OK) *f = 0;
    pthread_mutex_unlock(&lock);
    return rv;
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
    if (list == NULL) return CKR_ARGUMENTS_BAD;
    if (real == NULL) {
        void *handle = dlopen(TARGET, RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) return CKR_GENERAL_ERROR;
        CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
        if (get == NULL || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
        shim = *real;
        shim.C_Initialize = shim_initialize;
        shim.C_Finalize = shim_finalize;
        shim.C_GetTokenInfo = shim_get_token_info;
        shim.C_Login = shim_login;
        shim.C_GetFunctionList = C_GetFunctionList;
    }
    *list = &shim;
    return CKR_OK;
}
