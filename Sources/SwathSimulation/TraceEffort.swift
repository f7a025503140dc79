/// What an annotator drew on one task: vertices placed by hand and objects traced.
struct TraceEffort {
    var vertices = 0
    var objects = 0
}
