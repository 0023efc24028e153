using Microsoft.AspNetCore.Routing;

namespace Corral.Server.Native.Management;

/// <summary>Model management: tags, show, create, copy, delete, blobs.</summary>
public static class ManagementRoutes
{
    public static IEndpointRouteBuilder MapManagementRoutes(this IEndpointRouteBuilder routes)
    {
        return routes;
    }
}
