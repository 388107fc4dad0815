#include <stdio.h>
#include <string.h>

#include "reistijd/rt.h"

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("reistijd %s\n", rt_version());
        return 0;
    }
    fprintf(stderr, "usage: reistijd <command> [options]\n");
    return 2;
}
