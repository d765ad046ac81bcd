// casevault C++ API: include this one header.
#pragma once

#include "casevault/access.hpp"
#include "casevault/accounts.hpp"
#include "casevault/billing.hpp"
#include "casevault/cases.hpp"
#include "casevault/correspondence.hpp"
#include "casevault/audit.hpp"
#include "casevault/consent.hpp"
#include "casevault/error.hpp"
#include "casevault/outbox.hpp"
#include "casevault/policy.hpp"
#include "casevault/posts.hpp"
#include "casevault/progress.hpp"
#include "casevault/retention.hpp"
#include "casevault/accountability.hpp"
#include "casevault/vault.hpp"
