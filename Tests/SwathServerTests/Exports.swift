// The in-process world (users, projects, scenes, a hand-moved clock) and the
// request helpers, shared with the adversarial suite.
@_exported import SwathServerTestSupport
