/// How a fire's cube is written: CF NetCDF-4 (one `.nc` file) or Zarr v2 (a `.zarr` folder), both through
/// GDAL's multidimensional API and both opened by `xarray.open_dataset`.
public enum CubeFormat: String, Sendable, CaseIterable {
    case netcdf, zarr

    var driver: String { self == .netcdf ? "netCDF" : "ZARR" }
    var fileExtension: String { self == .netcdf ? "nc" : "zarr" }
}
