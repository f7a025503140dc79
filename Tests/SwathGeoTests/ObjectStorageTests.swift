import Testing
import SwathGeo

@Suite struct ObjectStorageTests {
    @Test func theSDKsEndpointBecomesGDALsSettings() throws {
        #expect(try ObjectStorage.gdalSettings(environment: [:]) == [:])
        #expect(try ObjectStorage.gdalSettings(environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9000"])
                == ["AWS_S3_ENDPOINT": "127.0.0.1:9000", "AWS_HTTPS": "NO", "AWS_VIRTUAL_HOSTING": "FALSE"])
        #expect(try ObjectStorage.gdalSettings(environment: ["AWS_ENDPOINT_URL": "https://minio.internal/s3/"])
                == ["AWS_S3_ENDPOINT": "minio.internal/s3", "AWS_HTTPS": "YES", "AWS_VIRTUAL_HOSTING": "FALSE"])
        #expect(try ObjectStorage.gdalSettings(environment: ["AWS_ENDPOINT_URL": "http://[::1]:9000"])["AWS_S3_ENDPOINT"] == "[::1]:9000")
        // The service-specific variable wins, as in the SDKs; GDAL's own setting wins over both.
        let both = try ObjectStorage.gdalSettings(environment: ["AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "http://b:2"])
        #expect(both["AWS_S3_ENDPOINT"] == "b:2")
        #expect(try ObjectStorage.gdalSettings(environment: ["AWS_ENDPOINT_URL": "http://a:1", "AWS_S3_ENDPOINT": "c:3"]) == [:])
    }

    @Test func badEndpointsAreRefusedByNameWithoutEchoingCredentials() {
        for bad in ["ftp://host", "127.0.0.1:9000", "http://", "http://host?x=1"] {
            #expect { try ObjectStorage.gdalSettings(environment: ["AWS_ENDPOINT_URL": bad]) } throws: {
                "\($0)".contains("AWS_ENDPOINT_URL") && "\($0)".contains(bad)
            }
        }
        #expect { try ObjectStorage.gdalSettings(environment: ["AWS_ENDPOINT_URL_S3": "http://user:hunter2@host"]) } throws: {
            "\($0)".contains("AWS_ENDPOINT_URL_S3") && "\($0)".contains("credentials") && !"\($0)".contains("hunter2")
        }
    }

    @Test func s3URIsAreGDALsVSIS3Paths() {
        #expect(ObjectStorage.gdalPath("s3://bucket/a/b.tif") == "/vsis3/bucket/a/b.tif")
        #expect(ObjectStorage.gdalPath("S3://bucket/b.tif") == "/vsis3/bucket/b.tif")
        #expect(ObjectStorage.gdalPath("/data/s3://x.tif") == "/data/s3://x.tif")
        #expect(ObjectStorage.isRemote("s3://bucket/b.tif") && ObjectStorage.isRemote("/vsicurl/https://x/y.tif"))
        #expect(!ObjectStorage.isRemote("/data/b.tif"))
    }
}
