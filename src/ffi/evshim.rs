//! Extensions beyond libevent (`include/evshim.h`).
