/* cu-demo.c — placeholder until the generator lands */
#define G_LOG_DOMAIN "cumulus-demo"
#include "demo/cu-demo.h"
#include "store/cu-ledger.h"

gboolean
cu_demo_create (const char *workspace_dir, guint64 seed, CuDay end_day, GCancellable *cancellable,
                CuDemoProgressFunc progress, gpointer progress_data, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "demo generator not written yet");
  return FALSE;
}
