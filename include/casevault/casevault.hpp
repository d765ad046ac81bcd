// casevault C++ API: include this one header.
#pragma once

#include "casevault/accounts.hpp"
#include "casevault/audit.hpp"
#include "casevault/consent.hpp"
#include "casevault/error.hpp"
#include "casevault/outbox.hpp"
#include "casevault/policy.hpp"
#include "casevault/progress.hpp"
#include "casevault/vault.hpp"
