#ifndef C_PROCESS_ARGUMENTS_H
#define C_PROCESS_ARGUMENTS_H

/// The argc and argv glibc passed to the executable's initializers, before main; 0 and NULL where none were
/// passed (a C library that does not pass them).
int cgw_process_argc(void);
char *const *cgw_process_argv(void);

#endif
