#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define CLI_MAX_BAND 65535 /* the most bands a GeoTIFF holds */
#define CLI_MAX_SNAP_M 1e5 /* 100 km, as snap_radius_m in a study file */

static const char usage[] =
    "Usage: reistijd nearest --friction F.tif --facilities P.gpkg -o OUT.tif\n"
    "                        [--band N] [--layer L] [--neighbours 8|16]\n"
    "                        [--units s|min] [--snap-radius M] [--timings]\n"
    "                        [--allow-remote] [-h] [-q] [-v] [--json] [--threads N]\n"
    "       reistijd nearest --network EDGES.csv --sources NODES.csv -o OUT.csv\n"
    "                        [--layer L] [--units s|min] [--timings]\n"
    "                        [--allow-remote] [-h] [-q] [-v] [--json] [--threads N]\n"
    "\n"
    "Travel time from every cell of a friction raster to the nearest facility, or\n"
    "from every node of a road network to the nearest source node.\n"
    "\n"
    "Options:\n"
    "  --friction F      GeoTIFF (any GDAL raster) of seconds per metre; nodata\n"
    "                    and NaN cells are impassable\n"
    "  --band N          band of the friction raster (default 1)\n"
    "  --facilities P    points (any OGR source, any CRS; polygons use a point\n"
    "                    on their surface)\n"
    "  --layer L         layer of the facilities source (default: the first);\n"
    "                    in network mode the layer of the edge table\n"
    "  -o, --out OUT     output GeoTIFF on the friction grid (Float32, NaN =\n"
    "                    unreachable); with --network a CSV node,time_s,source\n"
    "                    (time_min with --units min) of every node that reaches\n"
    "                    a source (time along the edges' directions from the\n"
    "                    node to its nearest source); written under a temporary\n"
    "                    name first; it may not be an input, nor anything but a\n"
    "                    regular file\n"
    "  --network EDGES   edge table (CSV or any OGR table): columns source, target\n"
    "                    (node ids) and cost_s (seconds; or length_m and\n"
    "                    speed_kmh); reverse_cost_s (< 0: one-way) or oneway\n"
    "                    (yes/no); without either every edge is two-way\n"
    "  --sources NODES   table of source node ids (column node, else the first)\n"
    "  --neighbours N    8 or 16 (default 16, the knight's move)\n"
    "  --units U         s (default) or min\n"
    "  --snap-radius M   move facilities on impassable cells to the nearest\n"
    "                    passable cell within M metres (default 2 cells)\n"
    "  --allow-remote    let the inputs be remote sources (/vsicurl/, URLs)\n"
    "  --timings         print CORE_SECONDS=<s> (allocating the labels and the\n"
    "                    search, not reading or writing) on stdout; for a\n"
    "                    network also GRAPH_SECONDS=<s> (building the graph)\n" CLI_HELP_COMMON
        CLI_HELP_EXIT;

int cmd_nearest(int argc, char **argv)
{
    static const struct option longopts[] = {{"friction", required_argument, 0, 'f'},
                                             {"band", required_argument, 0, 'b'},
                                             {"network", required_argument, 0, 'N'},
                                             {"sources", required_argument, 0, 'S'},
                                             {"facilities", required_argument, 0, 'p'},
                                             {"layer", required_argument, 0, 'l'},
                                             {"out", required_argument, 0, 'o'},
                                             {"neighbours", required_argument, 0, 'n'},
                                             {"neighbors", required_argument, 0, 'n'},
                                             {"units", required_argument, 0, 'u'},
                                             {"snap-radius", required_argument, 0, 'r'},
                                             {"timings", no_argument, 0, 't'},
                                             {"allow-remote", no_argument, 0, 'R'},
                                             CLI_COMMON_LONGOPTS,
                                             {0, 0, 0, 0}};
    rt_nearest_opts o;
    rt_nearest_opts_init(&o);
    rt_nearest_result r;
    rt_nearest_result_init(&r);
    cli_common common = {0, 0, 0, 0};
    int timings = 0, opt, code;
    const char *grid_only = NULL; /* the last option of the grid mode alone */
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":o:qvh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f':
            o.friction_path = optarg;
            break;
        case 'b':
            grid_only = "--band";
            if (!cli_parse_int(optarg, 1, CLI_MAX_BAND, &o.band))
                return cli_usage_error("nearest",
                                       "--band wants a band number >= 1 and <= %d, got '%s'",
                                       CLI_MAX_BAND, optarg);
            break;
        case 'p':
            o.facilities_path = optarg;
            break;
        case 'N':
            o.network_path = optarg;
            break;
        case 'S':
            o.sources_path = optarg;
            break;
        case 'l':
            o.layer = optarg;
            break;
        case 'o':
            if (!*optarg)
                return cli_usage_error("nearest", "-o wants a file, got ''");
            o.out_path = optarg;
            break;
        case 'n':
            grid_only = "--neighbours";
            if (!cli_parse_int(optarg, 8, 16, &o.neighbours) ||
                (o.neighbours != 8 && o.neighbours != 16))
                return cli_usage_error("nearest", "--neighbours must be 8 or 16, got '%s'", optarg);
            break;
        case 'u':
            if (strcmp(optarg, "s") == 0)
                o.minutes = 0;
            else if (strcmp(optarg, "min") == 0 || strcmp(optarg, "minutes") == 0)
                o.minutes = 1;
            else
                return cli_usage_error("nearest", "--units must be s or min, got '%s'", optarg);
            break;
        case 'r':
            grid_only = "--snap-radius";
            if (!cli_parse_double(optarg, 0, CLI_MAX_SNAP_M, &o.snap_radius_m))
                return cli_usage_error("nearest",
                                       "--snap-radius wants metres >= 0 and <= %g, got '%s'",
                                       CLI_MAX_SNAP_M, optarg);
            break;
        case 'R':
            o.allow_remote = 1;
            break;
        case 't':
            timings = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return RT_EXIT_OK;
        default:
            if ((code = cli_common_option(opt, "nearest", argv, &common)) != 0)
                return code;
        }
    }
    if (optind < argc)
        return cli_usage_error("nearest", "unexpected argument '%s'", argv[optind]);
    if (o.network_path || o.sources_path) {
        if (o.friction_path || o.facilities_path)
            return cli_usage_error("nearest", "--network and --friction exclude each other");
        if (grid_only)
            return cli_usage_error("nearest", "%s is for a friction raster, not for --network",
                                   grid_only);
        if (!o.network_path || !o.sources_path || !o.out_path)
            return cli_usage_error("nearest", "--network, --sources and -o are required");
    } else if (!o.friction_path || !o.facilities_path || !o.out_path) {
        return cli_usage_error("nearest", "--friction, --facilities and -o are required");
    }

    int refused = RT_EXIT_ERROR;
    rt_ctx *ctx = cli_context(&common, &refused);
    if (!ctx)
        return refused;
    rt_status st = rt_nearest_run(ctx, &o, &r);
    code = cli_finish(ctx, st);
    if (st == RT_OK && common.json) {
        char *json = rt_nearest_json(ctx, &o, &r);
        code = cli_print_json(json);
        free(json);
    }
    if (st == RT_OK) {
        if (timings && !common.json)
            printf("CORE_SECONDS=%.6f\n", r.core_s);
        if (timings && o.network_path && !common.json)
            printf("GRAPH_SECONDS=%.6f\n", r.graph_s);
        if (common.verbose && o.network_path)
            fprintf(stderr,
                    "reistijd: %lld nodes, %lld arcs (graph %.3f s, %.1f bytes per arc), %lld "
                    "sources, %lld nodes reached; search %.3f s\n",
                    (long long)r.n_nodes, (long long)r.n_arcs, r.graph_s,
                    r.n_arcs ? (double)r.graph_bytes / (double)r.n_arcs : 0.0,
                    (long long)r.n_facilities, (long long)r.n_reached, r.core_s);
        else if (common.verbose)
            fprintf(stderr,
                    "reistijd: %lld facilities, %lld moved to a passable cell, %lld left out; "
                    "search %.3f s\n",
                    (long long)r.n_facilities, (long long)r.n_snapped, (long long)r.n_dropped,
                    r.core_s);
    }
    rt_ctx_destroy(ctx);
    return code;
}
