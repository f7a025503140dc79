/// Which bands a stack gets, in order, checked against what the inputs can
/// give: spectral indices need their band roles, change needs the pre-fire
/// scene, terrain needs a DEM.
public struct FeaturePlan: Sendable {
    public let features: [WildfireFeature]
    /// Features left out of a default plan, each with the reason.
    public private(set) var leftOut: [String] = []

    /// Every feature the inputs could give, in stack order.
    static func candidates(hasPre: Bool, hasDEM: Bool, hasFire: Bool, hasSeries: Bool, hasLandCover: Bool) -> [WildfireFeature] {
        var all: [WildfireFeature] = []
        for when in hasPre ? ["pre", "post"] : ["post"] {
            all += SpectralIndex.allCases.map { WildfireFeature.spectral($0, when) }
        }
        if hasPre { all += [.dnbr, .rdnbr, .rbr, .severity] }
        if hasDEM { all += [.elevation, .slope, .aspectSin, .aspectCos, .hillshade, .tpi, .tri] }
        if hasFire { all += [.burned, .burnClass, .fireDistance, .burnedFraction1km, .burnedFraction3km] }
        if hasSeries { all += [.spreadRate, .spreadSin, .spreadCos] + (hasDEM ? [.upslopeAlignment] : []) + [.timeSinceBurn] }
        if hasLandCover { all.append(.landCover) }
        return all
    }

    /// The features `requested` names (feature or group names), before any input is opened:
    /// an unknown name is refused with the list of known ones.
    public static func named(_ requested: [String]) throws -> [WildfireFeature] {
        let everything = candidates(hasPre: true, hasDEM: true, hasFire: true, hasSeries: true, hasLandCover: true)
        var names = Set<String>()
        for item in requested {
            if let group = WildfireFeature.Group(rawValue: item) {
                names.formUnion(everything.filter { $0.group == group }.map(\.name))
            } else if everything.contains(where: { $0.name == item }) {
                names.insert(item)
            } else {
                throw WildfireError("unknown feature '\(item)' (features: \(everything.map(\.name).joined(separator: ", ")); groups: spectral, change, terrain, fire, spread, landcover)")
            }
        }
        return everything.filter { names.contains($0.name) }
    }

    public init(requested: [String]?, post: SceneInput, pre: SceneInput?, hasDEM: Bool, hasFireLabels: Bool, hasSeries: Bool,
                hasLandCover: Bool) throws {
        let available = Self.candidates(hasPre: pre != nil, hasDEM: hasDEM, hasFire: hasFireLabels, hasSeries: hasSeries,
                                        hasLandCover: hasLandCover)
        var chosen: [WildfireFeature]
        if let requested {
            let wanted = try Self.named(requested)
            let names = Set(wanted.map(\.name))
            let missing = wanted.filter { !available.contains($0) }
            if let first = missing.first {
                let needs: String
                switch first.group {
                case .terrain: needs = "a DEM (--dem)"
                case .fire: needs = "burn-scar labels on \(post.label), and it has none"
                case .spread where first == .upslopeAlignment && !hasDEM: needs = "a DEM (--dem)"
                case .landcover: needs = "land-cover labels on \(post.label), and it has none"
                case .spread: needs = "burned perimeters observed at two or more times (scenes with acquisition times), and there are fewer"
                default: needs = "a pre-fire scene (--pre, or the scene's pre-event link)"
                }
                throw WildfireError("\(missing.map(\.name).joined(separator: ", ")) need\(missing.count == 1 ? "s" : "") \(needs)")
            }
            chosen = available.filter { names.contains($0.name) }
        } else {
            // Everything the inputs allow: spectral and change features whose band roles a scene lacks are left out.
            var missing: [String] = []
            chosen = available.filter { feature in
                ["pre": pre, "post": post].allSatisfy { when, scene in
                    guard let scene else { return Self.roles(for: [feature], when: when).isEmpty }
                    let lacking = Self.roles(for: [feature], when: when).filter { scene.bandRoles[$0] == nil }.sorted()
                    if !lacking.isEmpty { missing.append("\(feature.name) (\(scene.label) has no band role \(lacking.joined(separator: ", ")))") }
                    return lacking.isEmpty
                }
            }
            leftOut = missing
        }
        guard !chosen.isEmpty else { throw WildfireError("no features requested") }
        try Self.checkRoles(chosen, scene: post, when: "post")
        if let pre { try Self.checkRoles(chosen, scene: pre, when: "pre") }
        features = chosen
    }

    /// Band roles the chosen features read from a scene taken `when` ("pre" or "post").
    static func roles(for features: [WildfireFeature], when: String) -> Set<String> {
        var roles = Set<String>()
        for feature in features {
            for index in SpectralIndex.allCases where feature.name == "\(index.rawValue)_\(when)" { roles.formUnion(index.roles) }
            if feature.group == .change { roles.formUnion(SpectralIndex.nbr.roles) }
        }
        return roles
    }

    private static func checkRoles(_ features: [WildfireFeature], scene: SceneInput, when: String) throws {
        let missing = roles(for: features, when: when).filter { scene.bandRoles[$0] == nil }.sorted()
        guard missing.isEmpty else {
            let users = features.filter { feature in
                roles(for: [feature], when: when).contains(where: missing.contains)
            }.map(\.name)
            throw WildfireError("\(scene.label) has no band role \(missing.joined(separator: ", ")) (needed by \(users.joined(separator: ", "))); "
                + "give band roles at ingest, e.g. --band-roles red=4,nir=8,swir1=11,swir2=12")
        }
    }

    public var needsPre: Bool { features.contains { $0.group == .change || $0.name.hasSuffix("_pre") } }
    public var needsDEM: Bool { features.contains { $0.group == .terrain || $0 == .upslopeAlignment } }
    public var needsFire: Bool { features.contains { $0.group == .fire } }
    public var needsSeries: Bool { features.contains { $0.group == .spread } }
    public var needsLandCover: Bool { features.contains { $0.group == .landcover } }
}
