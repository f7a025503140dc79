/// One `--weather SOURCE[=ROLE]`: a variable of a gridded weather source and
/// what it drives. SOURCE is a file or folder (NetCDF/CF, Zarr, GRIB, any
/// GDAL multidimensional format) holding one data variable, or GDAL's
/// `FORMAT:"path":variable` to pick one (`NETCDF:"era5.nc":u10`,
/// `ZARR:"hrrr.zarr":/u10`). ROLE defaults to the variable's name.
public struct WeatherSource: Sendable, Equatable {
    public var path: String
    /// The array to read; nil: the source's only variable with a time dimension.
    public var variable: String?
    public var role: String

    /// The roles Swath derives features from; any other role (a lowercase name) is carried through as it is.
    public static let knownRoles: Set<String> = [
        "wind_u", "wind_v", "wind_speed", "wind_from_direction", "temperature", "humidity", "precipitation",
        "energy_release", "fuel_moisture",
    ]

    /// Bands a sample gets from elsewhere: a weather role of the same name would shadow them.
    public static let reservedNames: Set<String> = [
        "fire_mask", "target_fire_mask", "target_burned_new", "wind_dir_sin", "wind_dir_cos", "wind_upslope_alignment", "elevation", "slope_deg",
        "spread_dir_sin", "spread_dir_cos", "wind_spread_alignment", "fuel_class", "ndvi", "nbr",
    ]

    public init(path: String, variable: String?, role: String) {
        (self.path, self.variable, self.role) = (path, variable, role)
    }

    /// Parses the command-line form; the error names the argument and what is wrong with it.
    public init(argument: String) throws {
        var source = argument
        var role: String?
        // ROLE follows the last '=' (paths and GDAL names have none; a role has no quote or colon).
        if let equals = argument.lastIndex(of: "="), !argument[argument.index(after: equals)...].contains(where: { $0 == "\"" || $0 == ":" || $0 == "/" }) {
            source = String(argument[..<equals])
            role = String(argument[argument.index(after: equals)...])
        }
        let (path, variable) = try Self.split(source, argument: argument)
        guard let name = role ?? variable.map(Self.plainName) else {
            throw SpreadError("--weather \(argument): say what it is (SOURCE=ROLE, e.g. =wind_u) or name a variable (FORMAT:\"path\":variable)")
        }
        guard !Self.reservedNames.contains(name) else {
            throw SpreadError("--weather \(argument): '\(name)' is the name of a band Swath makes itself; give the source another role")
        }
        guard Self.isRoleName(name) else {
            throw SpreadError("--weather \(argument): role '\(name)' must be lowercase letters, digits and _ (known: \(Self.knownRoles.sorted().joined(separator: ", ")))")
        }
        self.init(path: path, variable: variable, role: name)
    }

    /// GDAL's multidimensional drivers whose `FORMAT:path:variable` names a source and its variable.
    static let formats = ["NETCDF", "ZARR", "GRIB", "HDF5"]

    /// `FORMAT:"path":variable` → (path, variable) — also as a shell leaves it, quotes taken off
    /// (`FORMAT:path:variable`, the variable after the last colon); anything else is a path.
    static func split(_ source: String, argument: String) throws -> (String, String?) {
        if !source.contains("\""), let colon = source.firstIndex(of: ":"), formats.contains(source[..<colon].uppercased()) {
            let rest = source[source.index(after: colon)...]
            // The variable follows the last colon, unless that colon is a URI's scheme (s3://…): then none was given.
            guard let last = rest.lastIndex(of: ":"), !rest[rest.index(after: last)...].hasPrefix("//"), last != rest.startIndex,
                  rest.index(after: last) != rest.endIndex else {
                throw SpreadError("--weather \(argument): expected FORMAT:path:variable (or FORMAT:\"path\":variable)")
            }
            return (String(rest[..<last]), String(rest[rest.index(after: last)...]))
        }
        guard let open = source.firstIndex(of: "\""), source[..<open].hasSuffix(":"),
              !source[..<open].dropLast().contains("/") else { return (source, nil) }
        let rest = source[source.index(after: open)...]
        guard let close = rest.firstIndex(of: "\""), rest[rest.index(after: close)...].hasPrefix(":") else {
            throw SpreadError("--weather \(argument): expected FORMAT:\"path\":variable")
        }
        let variable = String(rest[rest.index(close, offsetBy: 2)...])
        guard !variable.isEmpty else { throw SpreadError("--weather \(argument): no variable after the path") }
        return (String(rest[..<close]), variable)
    }

    /// "/group/u10" → "u10".
    static func plainName(_ variable: String) -> String {
        String(variable.split(separator: "/").last ?? Substring(variable)).lowercased()
    }

    static func isRoleName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 40 && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
    }

    /// Roles that only mean something together: wind as components, or as speed and direction.
    public static func checkPairs(_ sources: [WeatherSource]) throws {
        let roles = Set(sources.map(\.role))
        if let duplicate = Dictionary(grouping: sources, by: \.role).first(where: { $0.value.count > 1 })?.key {
            throw SpreadError("--weather: role '\(duplicate)' is given twice")
        }
        for (one, other) in [("wind_u", "wind_v"), ("wind_speed", "wind_from_direction")] where roles.contains(one) != roles.contains(other) {
            throw SpreadError("--weather: \(roles.contains(one) ? one : other) needs \(roles.contains(one) ? other : one) too")
        }
    }
}
