#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// The system's OpenSSL (libssl3; libssl-dev at build time) for the clients' TLS (ClientTLS) and the Redis client's
// script digests. Several of the calls TLS needs are function-like macros over SSL_ctrl, which Swift cannot import;
// these inline wrappers make them functions.
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

static inline int copenssl_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

static inline int copenssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline long copenssl_set_session_cache_client(SSL_CTX *ctx) {
    return SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
}

/// A write retried after WANT_WRITE may pass a buffer that moved (a Swift array), and may complete partially.
static inline long copenssl_set_write_modes(SSL_CTX *ctx) {
    return SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
}

static inline unsigned long copenssl_verify_peer_mode(void) { return SSL_VERIFY_PEER; }
static inline int copenssl_error_want_read(void) { return SSL_ERROR_WANT_READ; }
static inline int copenssl_error_want_write(void) { return SSL_ERROR_WANT_WRITE; }
static inline int copenssl_error_zero_return(void) { return SSL_ERROR_ZERO_RETURN; }
static inline int copenssl_error_syscall(void) { return SSL_ERROR_SYSCALL; }
static inline int copenssl_error_ssl(void) { return SSL_ERROR_SSL; }
static inline long copenssl_verify_ok(void) { return X509_V_OK; }
static inline int copenssl_hostflag_no_partial_wildcards(void) { return X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS; }
static inline long copenssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
#endif
