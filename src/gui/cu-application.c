#include "cu-application.h"

struct _CuApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CuApplication, cu_application, ADW_TYPE_APPLICATION)

static void
cu_application_class_init (CuApplicationClass *klass)
{
}

static void
cu_application_init (CuApplication *self)
{
}

CuApplication *
cu_application_new (void)
{
  return g_object_new (CU_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
