/// How a weather value is chosen for an observation time (`--weather-time`).
public enum WeatherTimeMode: String, Sendable, CaseIterable {
    /// The last step at or before the observation: what was known then (the default).
    case before
    /// Linear in time between the steps on either side.
    case interp
}
