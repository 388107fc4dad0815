#ifndef RT_IO_ROADS_INTERNAL_H
#define RT_IO_ROADS_INTERNAL_H
/* Shared by the road readers (roads.c) and the node and edge builder
 * (roads_topo.c). No GDAL types. */
#include <stdint.h>

#include "io/io.h"

#define RTI_NO_JUNCTION INT64_MIN

/* The lines read, before nodes exist: one piece per LineString (a
 * MultiLineString gives several) with its attributes. */
typedef struct rti_pieces {
    int64_t n, cap;
    int64_t *first; /* n + 1 offsets into vx/vy */
    int32_t *cls;   /* global class index (rti_road_class_names()) */
    float *maxspeed_kmh, *speed_kmh, *time_s;
    uint8_t *dir_car, *dir_bike, *modes, *modes_yes, *flags;
    int64_t *fid;
    int64_t *jte_beg, *jte_end; /* NWB junctions, RTI_NO_JUNCTION: none */
    int64_t nv, vcap;
    double *vx, *vy;
} rti_pieces;

/* Attributes of one feature, copied to each of its pieces. */
typedef struct rti_piece_attr {
    int32_t cls;
    float maxspeed_kmh, speed_kmh, time_s; /* time_s: whole feature, split by length */
    uint8_t dir_car, dir_bike, modes, modes_yes, flags;
    int64_t fid;
    int64_t jte_beg, jte_end;
} rti_piece_attr;

/* Appends a line of n vertices (n >= 2). feature_len_m: the length of the
 * whole feature, for splitting time_s. */
rt_status rti_pieces_add(rt_ctx *ctx, rti_pieces *p, const rti_piece_attr *a, const double *x,
                         const double *y, int n, double feature_len_m);
void rti_pieces_free(rti_pieces *p);

/* Builds nodes and edges of *out from the pieces: NWB pieces join at
 * their junctions (else snap), others at shared vertex positions within
 * tol_m (0: identical coordinates only). Fills every array of *out except
 * classes; cls holds global class indices until the caller renumbers. */
rt_status rti_roads_build(rt_ctx *ctx, const rti_pieces *p, int nwb, double tol_m, rti_roads *out);

#endif
