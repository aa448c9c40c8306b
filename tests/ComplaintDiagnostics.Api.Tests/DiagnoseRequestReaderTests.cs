using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>The service reads request bodies by hand first (<see cref="DiagnoseRequestReader"/>): whatever it takes,
/// it must read as the serializer does, and it must take the bodies front desks send.</summary>
public sealed class DiagnoseRequestReaderTests
{
    private static readonly JsonSerializerOptions WithNulls = new(ContractJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    private static readonly JsonSerializerOptions Indented = new(ContractJson.Options) { WriteIndented = true };

    /// <summary>The wire names of the contract's enum-valued properties, at any depth (their values may come in any case).</summary>
    private static readonly HashSet<string> EnumProperties = [.. EnumNames(typeof(DiagnoseRequest))];

    private static IEnumerable<string> EnumNames(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.Name != "EqualityContract")
        .SelectMany(p => Nullable.GetUnderlyingType(p.PropertyType) is { IsEnum: true } ? [JsonNamingPolicy.CamelCase.ConvertName(p.Name)]
            : p.PropertyType.Namespace == type.Namespace && p.PropertyType.IsClass ? EnumNames(p.PropertyType) : []);

    [Fact]
    public void EveryRequestAsASerializerWritesItIsReadByHandAsTheSerializerReadsIt()
    {
        var random = new Random(20261129);
        for (var i = 0; i < 3000; i++)
        {
            var request = Any(random);
            var json = (i % 4) switch
            {
                0 => JsonSerializer.Serialize(request, ContractJson.Options),
                1 => JsonSerializer.Serialize(request, Indented),
                2 => JsonSerializer.Serialize(request, WithNulls),
                // Names and enum values in any case, as the contract allows.
                _ => AnyCase(JsonNode.Parse(JsonSerializer.Serialize(request, ContractJson.Options))!, random).ToJsonString(),
            };

            Assert.True(DiagnoseRequestReader.TryRead(Encoding.UTF8.GetBytes(json), ContractJson.Options, out var read), json);
            Assert.Equal(JsonSerializer.Deserialize<DiagnoseRequest>(json, ContractJson.Options), read);
            Assert.Equal(request, read);
        }
    }

    [Fact]
    public void AnyBodyTakenByHandIsOneTheSerializerReadsTheSame()
    {
        // Bodies changed at random: a byte dropped or added, a value of another type, a property repeated, unknown
        // or with an escaped name, the end cut off. The reader may leave any of them to the serializer; what it
        // takes, the serializer must read to the same request.
        var random = new Random(7);
        string[] values = ["true", "false", "null", "0", "3", "-1", "2.5", "1e3", "1e400", "\"x\"", "\"LTE\"", "\"lte\"", "\"\"", "{}", "[]", "\"2026-11-28T09:30:00\"", "\"2026-11-28T09:30:00Z\"", "\"\\u0041\""];
        var taken = 0;
        var refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var json = Mutate(JsonSerializer.Serialize(Any(random), ContractJson.Options), random, values);
            var bytes = Encoding.UTF8.GetBytes(json);
            DiagnoseRequest? bySerializer;
            try
            {
                bySerializer = JsonSerializer.Deserialize<DiagnoseRequest>(bytes, ContractJson.Options);
            }
            catch (JsonException)
            {
                bySerializer = null;
            }

            if (DiagnoseRequestReader.TryRead(bytes, ContractJson.Options, out var byHand))
            {
                Assert.True(bySerializer is not null, json);
                Assert.Equal(bySerializer, byHand);
                taken++;
            }
            else if (bySerializer is null)
            {
                refused++;
            }
        }
        // Both kinds were met: the reader took changed bodies and left refused ones to the serializer.
        Assert.True(taken > 1000 && refused > 1000, $"taken {taken}, refused {refused}");
    }

    [Fact]
    public void ARequestWithEveryPropertySetIsReadByHand()
    {
        // Every property of the contract set, at any depth, made from the types: a property added to the contract is read
        // here with nothing to write, or the reader names the type it cannot read.
        var full = (DiagnoseRequest)Full(typeof(DiagnoseRequest));
        var json = JsonSerializer.SerializeToUtf8Bytes(full, ContractJson.Options);

        Assert.True(DiagnoseRequestReader.TryRead(json, ContractJson.Options, out var read));
        Assert.Equal(full, read);
    }

    /// <summary>A contract object with each property set to a value of its type other than the type's default.</summary>
    private static object Full(Type type)
    {
        var value = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            property.SetValue(value, t == typeof(string) ? "华为 3号楼"
                : t == typeof(bool) ? true
                : t == typeof(int) ? 2
                : t == typeof(double) ? 31.2304
                : t == typeof(DateTimeOffset) ? new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(8))
                : t.IsEnum ? Enum.GetValues(t).GetValue(Enum.GetValues(t).Length - 1)
                : t.Namespace == type.Namespace ? Full(t)
                : throw new InvalidOperationException($"{type.Name}.{property.Name}: no value of {t.Name} made here; add one."));
        }
        return value;
    }

    /// <summary>A random complaint (<see cref="RandomComplaints"/>) with what that generator leaves fixed made random as
    /// well: the texts, the time of receipt and its offset, the coordinates, the number, and no complaint type at times.</summary>
    private static DiagnoseRequest Any(Random random)
    {
        T? Maybe<T>(T value) where T : struct => random.Next(4) == 0 ? null : value;
        string? Text() => random.Next(5) switch
        {
            0 => null,
            1 => "",
            2 => random.GetItems<string>(["引号\"与\\反斜杠", "tab\there", "😀 emoji", "<script>&'", "\u001b[31m", "line\nbreak", "13812345678"], 1)[0],
            _ => new string(random.GetItems<char>("abcXYZ 019-_.:中文", random.Next(1, 40))),
        };
        var request = RandomComplaints.Next(random);
        return request with
        {
            TicketId = Text(),
            ReceivedAt = random.Next(4) == 0 ? null
                : new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromMinutes(15 * random.Next(-48, 57))).AddTicks(random.Next(3) == 0 ? random.Next(10_000_000) : 0),
            ComplaintType = random.Next(8) == 0 ? null : request.ComplaintType,
            Terminal = request.Terminal is { } terminal ? terminal with { Brand = Text() } : null,
            Location = request.Location is { } location
                ? location with
                {
                    Description = Text(),
                    Latitude = Maybe(Math.Round(random.NextDouble() * 180 - 90, random.Next(8))), Longitude = Maybe(random.NextDouble() * 360 - 180),
                    SignalBars = Maybe(random.Next(-2, 9)),
                }
                : null,
            Customer = request.Customer is { } customer ? customer with { Msisdn = Text() } : null,
        };
    }

    private static JsonNode AnyCase(JsonNode node, Random random)
    {
        if (node is not JsonObject obj)
        {
            return node.DeepClone();
        }
        var copy = new JsonObject();
        foreach (var (name, value) in obj)
        {
            var renamed = random.Next(3) == 0 ? name.ToUpperInvariant() : random.Next(2) == 0 ? char.ToUpperInvariant(name[0]) + name[1..] : name;
            copy[renamed] = value is JsonValue text && EnumProperties.Contains(name) && random.Next(2) == 0
                ? JsonValue.Create(text.GetValue<string>().ToUpperInvariant())
                : value is null ? null : AnyCase(value, random);
        }
        return copy;
    }

    private static string Mutate(string json, Random random, string[] values)
    {
        var at = random.Next(json.Length);
        switch (random.Next(8))
        {
            case 0:
                return json.Remove(at, 1);
            case 1:
                return json.Insert(at, random.GetItems<char>("{}[],:\"\\ 0a-.e", 1)[0].ToString());
            case 2:
                return json[..at];
            case 3:
                // A value replaced by one of another type (or of the same type, spelled otherwise).
                var colon = json.IndexOf(':', at);
                var end = colon < 0 ? -1 : json.IndexOfAny([',', '}'], colon);
                return colon < 0 || end < 0 ? json : json[..(colon + 1)] + random.GetItems(values, 1)[0] + json[end..];
            case 4:
                return json.Insert(1, "\"complaintType\":\"voice\",");
            case 5:
                return json.Insert(1, "\"notes\":\"x\",");
            case 6:
                return json.Insert(1, "\"\\u0074icketId\":\"escaped name\",");
            default:
                return json.Insert(1, "\"location\":" + random.GetItems(values, 1)[0] + ",");
        }
    }
}
