// Fork detection without a system call per check: a counter bumped in the
// child by a pthread_atfork handler.
#pragma once

namespace casevault {

// Changes in a child process after every fork().
unsigned fork_generation();

}  // namespace casevault
