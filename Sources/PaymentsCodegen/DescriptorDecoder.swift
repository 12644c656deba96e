/// Decodes a `FileDescriptorSet` from its wire bytes, skipping every field the generator does not read.
enum DescriptorDecoder {
    static func decodeSet(_ bytes: [UInt8]) throws(CodegenError) -> DescriptorSet {
        var reader = WireReader(bytes)
        var set = DescriptorSet()
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            if tag == .init(fieldNumber: 1, wireType: .lengthDelimited) {
                var fileReader = try reader.readLengthDelimited()
                set.files.append(try decodeFile(&fileReader))
            } else {
                try reader.skipField(tag)
            }
        }
        return set
    }

    static func decodeFile(_ reader: inout WireReader) throws(CodegenError) -> FileDescriptor {
        var file = FileDescriptor()
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited):
                file.name = try reader.readString()
            case (2, .lengthDelimited):
                file.package = try reader.readString()
            case (3, .lengthDelimited):
                file.dependencies.append(try reader.readString())
            case (4, .lengthDelimited):
                var messageReader = try reader.readLengthDelimited()
                file.messages.append(try decodeMessage(&messageReader))
            case (5, .lengthDelimited):
                var enumReader = try reader.readLengthDelimited()
                file.enums.append(try decodeEnum(&enumReader))
            case (6, .lengthDelimited):
                var serviceReader = try reader.readLengthDelimited()
                file.services.append(try decodeService(&serviceReader))
            case (9, .lengthDelimited):
                var infoReader = try reader.readLengthDelimited()
                file.locations = try decodeSourceCodeInfo(&infoReader)
            default:
                try reader.skipField(tag)
            }
        }
        return file
    }

    static func decodeMessage(_ reader: inout WireReader) throws(CodegenError) -> MessageDescriptor {
        var message = MessageDescriptor()
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited):
                message.name = try reader.readString()
            case (2, .lengthDelimited):
                var fieldReader = try reader.readLengthDelimited()
                message.fields.append(try decodeField(&fieldReader))
            case (3, .lengthDelimited):
                var nestedReader = try reader.readLengthDelimited()
                message.nestedMessages.append(try decodeMessage(&nestedReader))
            case (4, .lengthDelimited):
                var enumReader = try reader.readLengthDelimited()
                message.nestedEnums.append(try decodeEnum(&enumReader))
            case (7, .lengthDelimited):
                var optionsReader = try reader.readLengthDelimited()
                message.isMapEntry = try decodeBoolOption(&optionsReader, fieldNumber: 7)
            case (8, .lengthDelimited):
                var oneofReader = try reader.readLengthDelimited()
                message.oneofNames.append(try decodeName(&oneofReader))
            default:
                try reader.skipField(tag)
            }
        }
        return message
    }

    static func decodeField(_ reader: inout WireReader) throws(CodegenError) -> FieldDescriptor {
        var field = FieldDescriptor()
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited):
                field.name = try reader.readString()
            case (3, .varint):
                field.number = try reader.readInt32()
            case (4, .varint):
                let raw = try reader.readInt32()
                guard let label = FieldDescriptor.Label(rawValue: raw) else {
                    throw CodegenError(.invalidDescriptor, "field \(field.name) has undefined label \(raw)")
                }
                field.label = label
            case (5, .varint):
                let raw = try reader.readInt32()
                guard let type = FieldDescriptor.FieldType(rawValue: raw) else {
                    throw CodegenError(.invalidDescriptor, "field \(field.name) has undefined type \(raw)")
                }
                field.type = type
            case (6, .lengthDelimited):
                field.typeName = try reader.readString()
            case (9, .varint):
                field.oneofIndex = try reader.readInt32()
            case (10, .lengthDelimited):
                field.jsonName = try reader.readString()
            case (17, .varint):
                field.isProto3Optional = try reader.readBool()
            default:
                try reader.skipField(tag)
            }
        }
        return field
    }

    static func decodeEnum(_ reader: inout WireReader) throws(CodegenError) -> EnumDescriptor {
        var descriptor = EnumDescriptor()
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited):
                descriptor.name = try reader.readString()
            case (2, .lengthDelimited):
                var valueReader = try reader.readLengthDelimited()
                var value = EnumValueDescriptor()
                while !valueReader.isAtEnd {
                    let valueTag = try valueReader.readTag()
                    switch (valueTag.fieldNumber, valueTag.wireType) {
                    case (1, .lengthDelimited):
                        value.name = try valueReader.readString()
                    case (2, .varint):
                        value.number = try valueReader.readInt32()
                    default:
                        try valueReader.skipField(valueTag)
                    }
                }
                descriptor.values.append(value)
            default:
                try reader.skipField(tag)
            }
        }
        return descriptor
    }

    static func decodeService(_ reader: inout WireReader) throws(CodegenError) -> ServiceDescriptor {
        var service = ServiceDescriptor()
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited):
                service.name = try reader.readString()
            case (2, .lengthDelimited):
                var methodReader = try reader.readLengthDelimited()
                service.methods.append(try decodeMethod(&methodReader))
            default:
                try reader.skipField(tag)
            }
        }
        return service
    }

    static func decodeMethod(_ reader: inout WireReader) throws(CodegenError) -> MethodDescriptor {
        var method = MethodDescriptor()
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch (tag.fieldNumber, tag.wireType) {
            case (1, .lengthDelimited):
                method.name = try reader.readString()
            case (2, .lengthDelimited):
                method.inputType = try reader.readString()
            case (3, .lengthDelimited):
                method.outputType = try reader.readString()
            case (4, .lengthDelimited):
                var optionsReader = try reader.readLengthDelimited()
                method.idempotencyLevel = try decodeIdempotencyLevel(&optionsReader)
            case (5, .varint):
                method.clientStreaming = try reader.readBool()
            case (6, .varint):
                method.serverStreaming = try reader.readBool()
            default:
                try reader.skipField(tag)
            }
        }
        return method
    }

    static func decodeSourceCodeInfo(_ reader: inout WireReader) throws(CodegenError) -> [SourceLocation] {
        var locations: [SourceLocation] = []
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            guard tag == .init(fieldNumber: 1, wireType: .lengthDelimited) else {
                try reader.skipField(tag)
                continue
            }
            var locationReader = try reader.readLengthDelimited()
            var location = SourceLocation()
            while !locationReader.isAtEnd {
                let locationTag = try locationReader.readTag()
                switch (locationTag.fieldNumber, locationTag.wireType) {
                case (1, _):
                    location.path += try locationReader.readInt32Values(wireType: locationTag.wireType)
                case (3, .lengthDelimited):
                    location.leadingComments = try locationReader.readString()
                default:
                    try locationReader.skipField(locationTag)
                }
            }
            locations.append(location)
        }
        return locations
    }

    private static func decodeIdempotencyLevel(
        _ reader: inout WireReader
    ) throws(CodegenError) -> MethodDescriptor.IdempotencyLevel {
        var level = MethodDescriptor.IdempotencyLevel.unknown
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            if tag == .init(fieldNumber: 34, wireType: .varint) {
                let raw = try reader.readInt32()
                guard let decoded = MethodDescriptor.IdempotencyLevel(rawValue: raw) else {
                    throw CodegenError(.invalidDescriptor, "method has undefined idempotency_level \(raw)")
                }
                level = decoded
            } else {
                try reader.skipField(tag)
            }
        }
        return level
    }

    private static func decodeBoolOption(_ reader: inout WireReader, fieldNumber: Int) throws(CodegenError) -> Bool {
        var value = false
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            if tag == .init(fieldNumber: fieldNumber, wireType: .varint) {
                value = try reader.readBool()
            } else {
                try reader.skipField(tag)
            }
        }
        return value
    }

    private static func decodeName(_ reader: inout WireReader) throws(CodegenError) -> String {
        var name = ""
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            if tag == .init(fieldNumber: 1, wireType: .lengthDelimited) {
                name = try reader.readString()
            } else {
                try reader.skipField(tag)
            }
        }
        return name
    }
}
