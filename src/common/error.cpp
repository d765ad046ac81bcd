#include "common/error.hpp"

namespace casevault {

Error::Error(Errc code, const std::string& message) : std::runtime_error(message), code_(code) {}

const char* errc_name(Errc code) noexcept {
    switch (code) {
        case Errc::ok: return "ok";
        case Errc::internal: return "internal";
        case Errc::invalid_argument: return "invalid_argument";
        case Errc::not_found: return "not_found";
        case Errc::wrong_key: return "wrong_key";
        case Errc::corrupt: return "corrupt";
        case Errc::locked: return "locked";
        case Errc::duplicate: return "duplicate";
        case Errc::no_codec: return "no_codec";
        case Errc::io: return "io";
        case Errc::cancelled: return "cancelled";
        case Errc::closed: return "closed";
        case Errc::access_denied: return "access_denied";
        case Errc::unsupported: return "unsupported";
        case Errc::expired: return "expired";
        case Errc::disclosure_refused: return "disclosure_refused";
    }
    return "unknown";
}

}  // namespace casevault
