// Symbol visibility for the casevault shared library.
#pragma once

#if defined(_WIN32)
#  if defined(CASEVAULT_BUILDING)
#    define CASEVAULT_EXPORT __declspec(dllexport)
#  else
#    define CASEVAULT_EXPORT __declspec(dllimport)
#  endif
#else
#  define CASEVAULT_EXPORT __attribute__((visibility("default")))
#endif
