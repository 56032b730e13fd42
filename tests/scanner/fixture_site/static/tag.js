// A third party's tag included by the site after acceptance: writes a first-party cookie
// asking for two years.
document.cookie = "_tag_id=a81c; Max-Age=63072000; Path=/; SameSite=Lax";
