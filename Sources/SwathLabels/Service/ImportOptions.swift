/// How to read a vector file as pre-labels.
public struct ImportOptions: Sendable {
    /// Layer name; the first layer when nil.
    public var layer: String?
    /// Field whose value names the class (by id or name)…
    public var classField: String?
    /// …or one class for every feature.
    public var fixedClass: String?
    public var source: LabelSource

    public init(layer: String? = nil, classField: String? = nil, fixedClass: String? = nil, source: LabelSource = .imported) {
        self.layer = layer
        self.classField = classField
        self.fixedClass = fixedClass
        self.source = source
    }
}
