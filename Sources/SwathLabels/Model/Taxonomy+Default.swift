extension Taxonomy {
    /// A new project's classes: the 11 ESA WorldCover land-cover classes (with
    /// WorldCover's own codes and colours), five burn-severity classes, and
    /// six structure classes.
    public static let standard = Taxonomy(classes: landCover + burnScar + structure)

    static let landCover = [
        (10, "tree cover", "#006400"), (20, "shrubland", "#ffbb22"), (30, "grassland", "#ffff4c"),
        (40, "cropland", "#f096ff"), (50, "built-up", "#fa0000"), (60, "bare/sparse vegetation", "#b4b4b4"),
        (70, "snow and ice", "#f0f0f0"), (80, "permanent water bodies", "#0064c8"),
        (90, "herbaceous wetland", "#0096a0"), (95, "mangroves", "#00cf75"), (100, "moss and lichen", "#fae6a0"),
    ].map { TaxonomyClass(id: $0.0, name: $0.1, group: "land cover", color: $0.2) }

    static let burnScar = [
        (201, "unburned", "#7a8737"), (202, "low severity", "#fff70b"), (203, "moderate-low severity", "#ffaf38"),
        (204, "moderate-high severity", "#ff641b"), (205, "high severity", "#a41fd6"),
    ].map { TaxonomyClass(id: $0.0, name: $0.1, group: "burn scar", color: $0.2) }

    static let structure = [
        (301, "building", "#e31a1c", ["floors"]), (302, "damaged building", "#fd8d3c", []),
        (303, "destroyed building", "#54278f", []), (304, "road", "#636363", ["surface"]),
        (305, "bridge", "#8c510a", []), (306, "other", "#1f78b4", []),
    ].map { TaxonomyClass(id: $0.0, name: $0.1, group: "structure", color: $0.2, attributes: $0.3) }
}
