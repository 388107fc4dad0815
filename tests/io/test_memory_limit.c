/* The memory a run may use when its cgroup is limited (a Slurm job with
 * --mem, a container): rti_cgroup_limit_at reads a /proc/self/cgroup file
 * and a /sys/fs/cgroup tree, here both written in a temp folder with
 * limits chosen by hand, and must give the lowest limit on the way from
 * the process's cgroup to the root. */
#include "io_fixture.h"

#include <sys/stat.h>

static void mkdirs(fx *f, const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
    for (char *p = path + strlen(f->dir) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    mkdir(path, 0755);
}

static uint64_t limit(fx *f)
{
    return rti_cgroup_limit_at(fx_path(f, "cgroup"), fx_path(f, "sys"));
}

/* v2: the job's cgroup has no limit of its own ("max"), its parent has 8
 * GiB, the grandparent 16 GiB: 8 GiB. */
static void v2_lowest_on_the_way_up(void **state)
{
    fx *f = *state;
    mkdirs(f, "sys/slurm/job_7/step_0");
    fx_write_text(fx_path(f, "cgroup"), "0::/slurm/job_7/step_0\n");
    fx_write_text(fx_path(f, "sys/slurm/job_7/step_0/memory.max"), "max\n");
    fx_write_text(fx_path(f, "sys/slurm/job_7/memory.max"), "8589934592\n");
    fx_write_text(fx_path(f, "sys/slurm/memory.max"), "17179869184\n");
    assert_int_equal(limit(f), (uint64_t)8 << 30);
    /* a lower limit on the step itself wins */
    fx_write_text(fx_path(f, "sys/slurm/job_7/step_0/memory.max"), "1073741824\n");
    assert_int_equal(limit(f), (uint64_t)1 << 30);
}

/* v2 in a container: the process sits at the namespace's root "/", whose
 * memory.max is the container's limit. */
static void v2_container_root(void **state)
{
    fx *f = *state;
    mkdirs(f, "sys");
    fx_write_text(fx_path(f, "cgroup"), "0::/\n");
    fx_write_text(fx_path(f, "sys/memory.max"), "2147483648\n");
    assert_int_equal(limit(f), (uint64_t)2 << 30);
}

/* v1: the memory controller's line among others; "unlimited" is
 * 9223372036854771712 there, which is no limit; a real one is taken. */
static void v1_memory_controller(void **state)
{
    fx *f = *state;
    mkdirs(f, "sys/memory/job");
    fx_write_text(fx_path(f, "cgroup"), "9:name=systemd:/\n8:pids:/\n"
                                        "4:memory:/job\n1:cpu,cpuacct:/\n0::/\n");
    fx_write_text(fx_path(f, "sys/memory/job/memory.limit_in_bytes"), "9223372036854771712\n");
    fx_write_text(fx_path(f, "sys/memory/memory.limit_in_bytes"), "9223372036854771712\n");
    assert_int_equal(limit(f), 0);
    fx_write_text(fx_path(f, "sys/memory/job/memory.limit_in_bytes"), "4294967296\n");
    assert_int_equal(limit(f), (uint64_t)4 << 30);
}

/* No cgroup file, or no limit files: no limit, and the budget follows
 * the physical memory. */
static void no_cgroup_is_no_limit(void **state)
{
    fx *f = *state;
    assert_int_equal(limit(f), 0);
    fx_write_text(fx_path(f, "cgroup"), "0::/user.slice\nnot a line\n");
    assert_int_equal(limit(f), 0);
    const char *source = NULL;
    assert_true(rti_memory_bytes(&source) > 0);
    assert_non_null(source);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(v2_lowest_on_the_way_up, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(v2_container_root, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(v1_memory_controller, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(no_cgroup_is_no_limit, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
