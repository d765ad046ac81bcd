// casevault C++ API: include this one header.
#pragma once

#include "casevault/accounts.hpp"
#include "casevault/audit.hpp"
#include "casevault/error.hpp"
#include "casevault/vault.hpp"
