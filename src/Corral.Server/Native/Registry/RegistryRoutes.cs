using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Native.Registry;

/// <summary>Pull and push.</summary>
public static class RegistryRoutes
{
    public static IEndpointRouteBuilder MapRegistryRoutes(this IEndpointRouteBuilder routes)
    {
        return routes;
    }
}
