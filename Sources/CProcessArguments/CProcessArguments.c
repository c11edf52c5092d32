// Swift's CommandLine.arguments on Linux reads /proc/self/cmdline. Where /proc is not mounted (a process entered
// into a container's PID namespace but not its mount namespace, a chroot, some sandboxes) it comes back empty, and
// `campaign-gateway reload` would run as `campaign-gateway` with no command. glibc calls each function in the
// executable's .init_array with argc, argv and envp, so the arguments are kept from there instead.
#include "CProcessArguments.h"

static int saved_argc = 0;
static char *const *saved_argv = 0;

// A constructor is such a function (an entry in .init_array).
__attribute__((constructor))
static void cgw_capture_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    saved_argc = argc;
    saved_argv = argv;
}

int cgw_process_argc(void) { return saved_argc; }
char *const *cgw_process_argv(void) { return saved_argv; }
