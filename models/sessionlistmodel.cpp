#include "sessionlistmodel.h"
